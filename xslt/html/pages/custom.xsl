<?xml version="1.0" encoding="UTF-8"?>
<!-- #16: the pages of the edition's own ([html] pages, toolkit/outputs/custom.py): each an HTML
     fragment of the edition's in the page frame (layout.xsl f:page), linked in the navigation
     ($fp:custom-nav). Included by site.xsl, so that it ranks with the other page kinds. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <!-- a page of the edition's own ([html] pages): its fragment in the page frame -->
  <xsl:template match="page[@kind = 'custom']" mode="m:page">
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="string(@title)"/>
      <xsl:with-param name="root" select="string(@root)"/>
      <xsl:with-param name="section" select="substring-before(@href, '.html')"/>
      <xsl:with-param name="page-class" select="'page-custom'"/>
      <xsl:with-param name="content">
        <article class="custom-page">
          <xsl:apply-templates select="fragment/node()" mode="fp:fragment"><xsl:with-param name="root" select="string(@root)" tunnel="yes"/></xsl:apply-templates>
        </article>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
