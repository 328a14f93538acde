<?xml version="1.0" encoding="UTF-8"?>
<!-- The "Document information" block of a document page, from its teiHeader. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:template name="fp:info-row">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="item()*"/>
    <xsl:param name="class" as="xs:string" select="f:slug($label)"/>
    <div class="info-row info-{$class}">
      <!-- the trailing spaces keep label and value apart in the search index (Pagefind
           does not separate the words of adjacent dt and dd) -->
      <dt><xsl:value-of select="$label"/><xsl:text> </xsl:text></dt>
      <dd><xsl:sequence select="$value"/><xsl:text> </xsl:text></dd>
    </div>
  </xsl:template>

  <!-- one respStmt (the context item) as a row: its resp as the label, the rest as the value -->
  <xsl:template name="fp:resp-row">
    <xsl:call-template name="fp:info-row">
      <xsl:with-param name="label" select="fp:ucfirst(string-join(tei:resp, '; '))"/>
      <xsl:with-param name="class" select="'resp'"/>
      <xsl:with-param name="value">
        <xsl:for-each select="* except tei:resp">
          <xsl:if test="position() gt 1">; </xsl:if>
          <xsl:sequence select="fp:inline(.)"/>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="fp:inline" as="node()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:apply-templates select="$nodes" mode="m:text">
      <xsl:with-param name="inline" tunnel="yes" select="true()"/>
    </xsl:apply-templates>
  </xsl:function>


  <xsl:template name="f:document-info">
    <xsl:param name="header" as="element()?"/>
    <xsl:param name="doc" as="element(document)?"/>
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="fd" select="$header/tei:fileDesc"/>
    <xsl:variable name="ms" select="$fd/tei:sourceDesc//tei:msIdentifier"/>
    <xsl:variable name="not-given" as="element()"><span class="not-given">Not given in the source</span></xsl:variable>
    <section class="doc-info" id="doc-info" aria-labelledby="doc-info-heading">
      <h2 id="doc-info-heading">Document information</h2>
      <dl class="info-list">
        <xsl:if test="$header/tei:profileDesc/tei:creation//tei:date">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="'Date'"/>
            <xsl:with-param name="value" select="fp:inline(($header/tei:profileDesc/tei:creation//tei:date)[1])"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:for-each select="$fd/tei:titleStmt/tei:author">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="'Author'"/>
            <xsl:with-param name="value" select="fp:inline(node())"/>
          </xsl:call-template>
        </xsl:for-each>
        <!-- archival source: the citation, else the identifier's parts, else the source description -->
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="'Archival source'"/>
          <xsl:with-param name="value">
            <xsl:choose>
              <xsl:when test="$ms/tei:altIdentifier[@type = 'citation']">
                <xsl:value-of select="normalize-space(($ms/tei:altIdentifier[@type = 'citation'])[1])"/>
              </xsl:when>
              <xsl:when test="exists($ms)">
                <xsl:for-each select="$ms">
                  <xsl:value-of select="string-join((tei:country, tei:settlement, tei:institution, tei:repository,
                    tei:collection, tei:idno)/normalize-space()[. != ''], ', ')"/>
                </xsl:for-each>
              </xsl:when>
              <xsl:when test="$fd/tei:sourceDesc/tei:bibl[not(@type = ('digital-archive', 'listing'))] | $fd/tei:sourceDesc/tei:biblStruct | $fd/tei:sourceDesc/tei:biblFull | $fd/tei:sourceDesc/tei:p">
                <xsl:sequence select="fp:inline(($fd/tei:sourceDesc/tei:bibl[not(@type = ('digital-archive', 'listing'))], $fd/tei:sourceDesc/tei:biblStruct, $fd/tei:sourceDesc/tei:biblFull, $fd/tei:sourceDesc/tei:p)[1]/node())"/>
              </xsl:when>
              <xsl:otherwise><xsl:sequence select="$not-given"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl[@type = ('digital-archive', 'listing')]">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="'Published source'"/>
            <xsl:with-param name="value" select="fp:inline(node())"/>
          </xsl:call-template>
        </xsl:for-each>
        <!-- responsibilities: "Obtained by" and "Translated by" always (the archive's fields;
             "Not given in the source" when the header has no such respStmt), then any other -->
        <xsl:variable name="resps" select="$fd/tei:titleStmt/tei:respStmt | $fd/tei:editionStmt/tei:respStmt"/>
        <xsl:for-each select="('obtain', 'translat')">
          <xsl:variable name="key" select="."/>
          <xsl:variable name="these" select="$resps[some $r in tei:resp satisfies starts-with(lower-case(normalize-space($r)), $key)]"/>
          <xsl:choose>
            <xsl:when test="exists($these)">
              <xsl:for-each select="$these"><xsl:call-template name="fp:resp-row"/></xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="fp:info-row">
                <xsl:with-param name="label" select="if ($key = 'obtain') then 'Obtained by' else 'Translated by'"/>
                <xsl:with-param name="class" select="'resp'"/>
                <xsl:with-param name="value" select="$not-given"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:for-each select="$resps[not(some $r in tei:resp satisfies (starts-with(lower-case(normalize-space($r)), 'obtain')
                                  or starts-with(lower-case(normalize-space($r)), 'translat')))]">
          <xsl:call-template name="fp:resp-row"/>
        </xsl:for-each>
        <xsl:if test="$fd/tei:publicationStmt/(tei:availability | tei:licence)">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="'Rights'"/>
            <xsl:with-param name="value">
              <xsl:for-each select="$fd/tei:publicationStmt/tei:availability">
                <xsl:variable name="ref" select="replace(normalize-space(@corresp), '^.*#', '')"/>
                <xsl:if test="$ref and exists($edition-file)">
                  <xsl:for-each select="$edition-file//*[@xml:id = $ref]">
                    <xsl:for-each select="tei:p | tei:licence"><span class="rights-p"><xsl:sequence select="fp:inline(node())"/></span><xsl:text> </xsl:text></xsl:for-each>
                  </xsl:for-each>
                </xsl:if>
                <xsl:for-each select="tei:p | tei:licence">
                  <span class="rights-p">
                    <xsl:choose>
                      <xsl:when test="self::tei:licence and f:safe-url(@target)">
                        <a href="{f:safe-url(@target)}" rel="license noopener"><xsl:value-of select="normalize-space(.)"/></a>
                      </xsl:when>
                      <xsl:otherwise><xsl:sequence select="fp:inline(node())"/></xsl:otherwise>
                    </xsl:choose>
                  </span>
                  <!-- the statements are blocks: a space keeps their words apart for search -->
                  <xsl:text> </xsl:text>
                </xsl:for-each>
                <xsl:if test="not(tei:p | tei:licence) and normalize-space()"><span class="rights-p"><xsl:value-of select="normalize-space()"/></span></xsl:if>
              </xsl:for-each>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:if>
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="'Record ID'"/>
          <xsl:with-param name="value">
            <xsl:variable name="rec" select="($header//tei:idno[@type = ('record', 'recordId', 'record-id', 'RecordID')])[1]"/>
            <xsl:choose>
              <xsl:when test="$rec"><xsl:value-of select="normalize-space($rec)"/></xsl:when>
              <xsl:otherwise><xsl:sequence select="$not-given"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="'Original classification'"/>
          <xsl:with-param name="value">
            <xsl:variable name="cls" select="($header//tei:note[@type = ('classification', 'original-classification')],
              $header//tei:classCode, $header//tei:term[@type = 'classification'])[1]"/>
            <xsl:choose>
              <xsl:when test="$cls"><xsl:value-of select="normalize-space($cls)"/></xsl:when>
              <xsl:otherwise><xsl:sequence select="$not-given"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:if test="$header/tei:profileDesc/tei:langUsage/tei:language">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="'Languages'"/>
            <xsl:with-param name="value" select="string-join($header/tei:profileDesc/tei:langUsage/tei:language/normalize-space(), '; ')"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:for-each select="$fd/tei:notesStmt/tei:note">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="'Note'"/>
            <xsl:with-param name="value" select="fp:inline(node())"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="'Edition id'"/>
          <xsl:with-param name="value"><code><xsl:value-of select="($doc/@id, $tei/@xml:id)[1]"/></code></xsl:with-param>
        </xsl:call-template>
      </dl>
    </section>
  </xsl:template>
</xsl:stylesheet>
