<?xml version="1.0" encoding="UTF-8"?>
<!--
  Driver: the site pages. Input: <site> with one <page kind="…" href="…" root="…"> per page to
  write (prepared by toolkit/build/html.py); each becomes one xsl:result-document.
  Parameters: $edition-context, $edition-file.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:include href="pages/listing.xsl"/>
  <xsl:include href="pages/entity.xsl"/>
  <xsl:include href="pages/map.xsl"/>
  <xsl:include href="pages/misc.xsl"/>
  <xsl:include href="pages/custom.xsl"/>

  <xsl:output name="page" method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>
  <xsl:output name="script" method="text" encoding="UTF-8"/>
  <xsl:mode use-accumulators="#all"/>
  <xsl:mode name="m:text" use-accumulators="#all"/>

  <xsl:template match="/site">
    <xsl:for-each select="page">
      <xsl:choose>
        <xsl:when test="@kind = ('data', 'map-data')">
          <xsl:result-document href="{@href}" format="script">
            <xsl:apply-templates select="." mode="m:page"/>
          </xsl:result-document>
        </xsl:when>
        <xsl:otherwise>
          <xsl:result-document href="{@href}" format="page">
            <!-- the page's own prefix to the site root ('' for root-level pages, '../' in
                 entity/) reaches the TEI templates' links as a tunnel parameter -->
            <xsl:apply-templates select="." mode="m:page">
              <xsl:with-param name="page-root" tunnel="yes" select="string(@root)"/>
            </xsl:apply-templates>
          </xsl:result-document>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
